package io.quorate.store;

import java.util.List;

/**
 * One forward-only schema step: applied once, in version order, inside one transaction together
 * with its {@code schema_version} row. Migrations are never edited after release; a change is a new
 * migration.
 *
 * @param version 1, 2, 3… without gaps
 * @param description what it adds, stored with the version
 * @param statements DDL/DML run in order
 */
public record Migration(int version, String description, List<String> statements) {
  public Migration {
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1");
    }
    statements = List.copyOf(statements);
  }
}
