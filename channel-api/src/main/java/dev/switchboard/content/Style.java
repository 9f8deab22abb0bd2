package dev.switchboard.content;

/** The small markup subset every channel can express or degrade: bold, italic, inline code. Links are separate. */
public enum Style { BOLD, ITALIC, CODE }
