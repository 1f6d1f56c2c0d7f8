package io.quorate.store;

/**
 * The embedded store cannot be used: the file is not a SQLite database (or is damaged), it was
 * written by a newer Quorate, it belongs to another program, or a statement failed. The agent
 * refuses to start on the first three; it never rewrites a file it does not understand.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the store failed. */
  public enum Kind {
    /** Not a SQLite file, or one failing its integrity check. */
    CORRUPT,
    /** Its schema version is newer than this build knows (a downgrade). */
    NEWER_SCHEMA,
    /** A SQLite file that belongs to another application. */
    FOREIGN,
    /** A limit was reached (e.g. too many pending events). */
    FULL,
    /** Used after {@link Database#close()}. */
    CLOSED,
    /** A statement or the file system failed. */
    IO
  }

  private final Kind kind;

  public StoreException(Kind kind, String message) {
    this(kind, message, null);
  }

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
