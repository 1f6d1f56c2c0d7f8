package io.quorate.config;

/** The status page's settings, from the shared file's {@code statusPage:} key. */
public record StatusPage() {
  /** Nothing configured: the built-in defaults. */
  public static final StatusPage DEFAULT = new StatusPage();
}
