package io.quorate.config;

/** Reads the shared file's {@code statusPage:} key. */
final class StatusPageReader {
  StatusPageReader() {}

  StatusPage read(YamlNode node) {
    if (node.present()) {
      node.error("not supported yet");
    }
    return StatusPage.DEFAULT;
  }
}
