package io.quorate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves secret references: {@code ${env:NAME}} reads an environment variable, {@code
 * ${file:/abs/path}} reads a file that only its owner may read (trailing newlines are dropped). A
 * literal value is refused, so secrets never sit in configuration files. Error messages name the
 * reference, never the value.
 */
public final class SecretResolver {
  /** Larger secret files are refused (a key or token is far smaller). */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  static final String LITERAL_REFUSED = "secrets must be given as ${env:NAME} or ${file:/path}";
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern FILE = Pattern.compile("\\$\\{file:([^}]+)}");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private final Function<String, String> env;

  /**
   * @param env environment lookup ({@code System::getenv} in production; tests inject a map)
   */
  public SecretResolver(Function<String, String> env) {
    this.env = env;
  }

  /**
   * Resolves one reference.
   *
   * @throws UnresolvableSecretException with a message safe to show (it never holds the value)
   */
  public Secret resolve(String reference) throws UnresolvableSecretException {
    Matcher m = ENV.matcher(reference);
    if (m.matches()) {
      return new Secret(reference, fromEnv(m.group(1)));
    }
    m = FILE.matcher(reference);
    if (m.matches()) {
      return new Secret(reference, fromFile(m.group(1)));
    }
    throw new UnresolvableSecretException(LITERAL_REFUSED);
  }

  private String fromEnv(String name) throws UnresolvableSecretException {
    String value = env.apply(name);
    if (value == null) {
      throw new UnresolvableSecretException("environment variable " + name + " is not set");
    }
    if (value.isEmpty()) {
      throw new UnresolvableSecretException("environment variable " + name + " is empty");
    }
    return value;
  }

  private String fromFile(String name) throws UnresolvableSecretException {
    Path path;
    try {
      path = Path.of(name);
    } catch (java.nio.file.InvalidPathException e) {
      throw new UnresolvableSecretException("secret file path is invalid: " + e.getReason());
    }
    if (!path.isAbsolute()) {
      throw new UnresolvableSecretException("secret file " + name + " must be an absolute path");
    }
    String prefix = "secret file " + path + " ";
    if (!Files.exists(path)) {
      throw new UnresolvableSecretException(prefix + "does not exist");
    }
    if (!Files.isRegularFile(path)) {
      throw new UnresolvableSecretException(prefix + "is not a regular file");
    }
    byte[] bytes;
    try {
      PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
      if (posix != null) {
        Set<PosixFilePermission> perms = posix.readAttributes().permissions();
        if (perms.contains(PosixFilePermission.GROUP_READ)
            || perms.contains(PosixFilePermission.OTHERS_READ)) {
          throw new UnresolvableSecretException(
              prefix + "is readable by group or others (chmod 600)");
        }
        if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
          // someone else could replace the secret: as bad as reading it
          throw new UnresolvableSecretException(
              prefix + "is writable by group or others (chmod 600)");
        }
      }
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new UnresolvableSecretException(
            prefix + "is larger than " + MAX_FILE_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UnresolvableSecretException(
          prefix + "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    String value = stripTrailingNewlines(new String(bytes, StandardCharsets.UTF_8));
    if (value.isEmpty()) {
      throw new UnresolvableSecretException(prefix + "is empty");
    }
    return value;
  }

  private static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  /** A secret reference that cannot be resolved; the message never contains a secret. */
  public static final class UnresolvableSecretException extends Exception {
    private static final long serialVersionUID = 1L;

    UnresolvableSecretException(String message) {
      super(message);
    }
  }
}
