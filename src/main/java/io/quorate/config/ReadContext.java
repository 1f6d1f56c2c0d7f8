package io.quorate.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What readers need besides the tree: the secret resolver and the directory relative paths are
 * resolved against (the directory of the file being read; {@code null} = the working directory).
 */
record ReadContext(SecretResolver secrets, Path baseDir) {

  /** A required secret reference, resolved; {@code null} after recording why not. */
  Secret secret(YamlNode node) {
    String reference = node.requiredString();
    if (reference == null) {
      return null;
    }
    try {
      return secrets.resolve(reference);
    } catch (SecretResolver.UnresolvableSecretException e) {
      node.error(e.getMessage());
      return null;
    }
  }

  /** {@code path} made absolute against {@link #baseDir()} and normalised. */
  Path resolve(String path) {
    Path p = Path.of(path);
    Path base = baseDir == null ? Path.of("").toAbsolutePath() : baseDir.toAbsolutePath();
    return base.resolve(p).normalize();
  }

  /** An optional path to a readable regular file, made absolute; {@code null} when absent. */
  String readableFile(YamlNode node) {
    String name = node.nonEmptyString();
    if (name == null) {
      return null;
    }
    Path file;
    try {
      file = resolve(name);
    } catch (java.nio.file.InvalidPathException e) {
      node.error("invalid path: " + e.getReason());
      return null;
    }
    if (!Files.exists(file)) {
      node.error("file " + file + " does not exist");
    } else if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      node.error("file " + file + " is not a readable regular file");
    } else {
      return file.toString();
    }
    return null;
  }

  /**
   * An optional PEM file of CA certificates (trust anchors), made absolute; {@code null} when
   * absent or after recording why it cannot be used: it must be a readable regular file that holds
   * at least one X.509 certificate and nothing else that fails to parse. Checked here so that a
   * wrong file is a config error with its YAML path, not a TLS failure on every connection later.
   */
  String caFile(YamlNode node) {
    String file = readableFile(node);
    if (file == null) {
      return null;
    }
    String problem = PemCertificates.problem(Path.of(file));
    if (problem != null) {
      node.error("file " + file + " " + problem);
      return null;
    }
    return file;
  }
}
