package io.quorate.config;

/** Credentials for a mail login check; the password is a resolved {@link Secret}. */
public record Login(String username, Secret password) {}
