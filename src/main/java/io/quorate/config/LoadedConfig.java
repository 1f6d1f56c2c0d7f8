package io.quorate.config;

/**
 * A validated configuration: the shared file and, when given, one region's file.
 *
 * @param shared {@code conf/quorate.yaml}
 * @param region the region file, or {@code null} when only the shared file was checked
 * @param sharedHash SHA-256 (hex) of the shared file's bytes, for drift detection between peers
 */
public record LoadedConfig(QuorateConfig shared, RegionConfig region, String sharedHash) {}
