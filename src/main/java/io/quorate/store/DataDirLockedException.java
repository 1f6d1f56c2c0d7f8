package io.quorate.store;

import java.nio.file.Path;

/**
 * Another agent holds the data directory's lock ({@link DataDirLock}): this agent refuses to start
 * before it opens the store, binds a port or sends anything. The message names the directory and,
 * when the holder wrote it, the holder's PID and start time.
 */
public final class DataDirLockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path dataDir;
  private final long holderPid;

  /**
   * @param dataDir the directory asked for
   * @param holderPid the holding process's PID, or -1 when unknown
   * @param holderStarted when the holder started (as it wrote it), or {@code null} when unknown
   */
  public DataDirLockedException(Path dataDir, long holderPid, String holderStarted) {
    super(message(dataDir, holderPid, holderStarted), null, false, false);
    this.dataDir = dataDir;
    this.holderPid = holderPid;
  }

  private static String message(Path dataDir, long pid, String started) {
    String who =
        pid < 0
            ? "another process (PID unknown)"
            : "PID " + pid + (started == null ? "" : ", started " + started);
    return "data directory "
        + dataDir
        + " is in use by another Quorate agent ("
        + who
        + "); stop that agent or give this one its own dataDir";
  }

  /** The data directory another agent holds. */
  public Path dataDir() {
    return dataDir;
  }

  /** The holder's PID, or -1 when it could not be read. */
  public long holderPid() {
    return holderPid;
  }
}
