package dev.switchboard.content;

/** The kinds of media channels distinguish. */
public enum MediaKind { IMAGE, FILE, AUDIO, VOICE, VIDEO, STICKER }
