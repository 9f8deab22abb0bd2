package dev.switchboard.model;

/** How urgent a conversation is; SLA targets and KPIs are kept per priority. */
public enum Priority { LOW, NORMAL, HIGH, URGENT }
