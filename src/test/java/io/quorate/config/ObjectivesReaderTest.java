package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorate.store.Sla;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code sla:} and {@code slos:} keys: a full valid example and a table of exact errors. */
class ObjectivesReaderTest {
  static final String HEAD =
      String.join(
          "\n",
          "regions: [a]",
          "groups: [{id: web, name: Web}, {id: mail, name: Mail}]",
          "targets:",
          "  - {id: web-1, type: http, group: web, address: 127.0.0.11}",
          "  - {id: mx-1, type: tcp, group: mail, address: 127.0.0.12, port: 25}",
          "");
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  Objectives read(String yaml) throws ConfigException {
    return loader.parseShared(HEAD + yaml, "x.yaml").objectives();
  }

  @Test
  void absentMeansNone() throws Exception {
    assertEquals(Objectives.NONE, read(""));
    assertEquals(java.util.Optional.empty(), Objectives.NONE.termsFor("web"));
  }

  @Test
  void fullExampleWithGroupOverridesAndSlos() throws Exception {
    Objectives o =
        read(
            String.join(
                "\n",
                "sla:",
                "  objective: 99.9",
                "  credit:",
                "    tiers: [{below: 99.9, percent: 10}, {below: 99, percent: 25},"
                    + " {below: 95.0, percent: 100}]",
                "  maxCreditPercent: 50",
                "  groups:",
                "    mail: {objective: 99.5, credit: downtime-percentage}",
                "slos:",
                "  - {id: web-availability, group: web, objective: 99.9}",
                "  - {id: mx-1, target: mx-1, objective: 99, windowDays: 7}",
                ""));
    Sla.Tiers tiers =
        new Sla.Tiers(
            List.of(new Sla.Tier(99.9, 10), new Sla.Tier(99.0, 25), new Sla.Tier(95.0, 100)));
    assertEquals(new Sla.Terms(99.9, tiers, 50.0), o.terms());
    assertEquals(
        new Objectives.Applied(new Sla.Terms(99.9, tiers, 50.0), "sla"),
        o.termsFor("web").orElseThrow());
    assertEquals(
        new Objectives.Applied(
            new Sla.Terms(99.5, Sla.DowntimePercentage.INSTANCE, 50.0), "sla.groups.mail"),
        o.termsFor("mail").orElseThrow());
    assertEquals("sla", o.termsFor(null).orElseThrow().source());
    assertEquals(
        List.of(
            new Objectives.Slo("web-availability", "web", null, 99.9, 30),
            new Objectives.Slo("mx-1", null, "mx-1", 99.0, 7)),
        o.slos());
  }

  @Test
  void groupTermsWithoutADefaultObjective() throws Exception {
    Objectives o = read("sla: {groups: {web: {objective: 99.95}}}\n");
    assertNull(o.terms());
    assertEquals(new Sla.Terms(99.95), o.termsFor("web").orElseThrow().terms());
    assertEquals(java.util.Optional.empty(), o.termsFor("mail"));
  }

  @Test
  void badValuesAreAllReportedAtTheirPaths() {
    record Case(String yaml, List<String> errors) {}
    List<Case> cases =
        List.of(
            new Case("sla: 99.9", List.of("sla: must be a mapping")),
            new Case(
                "sla: {objective: 100, maxCreditPercent: 0, extra: 1}",
                List.of(
                    "sla.extra: unknown key",
                    "sla.objective: must be greater than 0 and less than 100",
                    "sla.maxCreditPercent: must be greater than 0 and at most 100")),
            new Case("sla: {objective: '99.9'}", List.of("sla.objective: must be a number")),
            new Case(
                "sla: {objective: 99, credit: refund}",
                List.of("sla.credit: must be downtime-percentage or a mapping with tiers")),
            new Case("sla: {objective: 99, credit: {}}", List.of("sla.credit.tiers: required")),
            new Case(
                "sla: {objective: 99, credit: {tiers: []}}",
                List.of("sla.credit.tiers: must list 1 to 20 tiers")),
            new Case(
                "sla: {objective: 99, credit: {tiers: [{below: 99, percent: 10},"
                    + " {below: 99, percent: 101}, {percent: 5, over: 1}]}}",
                List.of(
                    "sla.credit.tiers[1].percent: must be greater than 0 and at most 100",
                    "sla.credit.tiers[1].below: must be below the previous tier's (99):"
                        + " strictly decreasing",
                    "sla.credit.tiers[2].over: unknown key",
                    "sla.credit.tiers[2].below: required")),
            new Case(
                "sla: {groups: {web: {credit: downtime-percentage}, nope: {objective: 99}}}",
                List.of(
                    "sla.groups.web.objective: required (sla.objective is not set)",
                    "sla.groups.nope: unknown group \"nope\"")),
            new Case(
                "slos: [{id: a, objective: 99.9}, {id: a, group: web, target: web-1,"
                    + " objective: 0, windowDays: 91}, {id: B, group: nope, objective: 99}]",
                List.of(
                    "slos[0]: give exactly one of group and target",
                    "slos[1].id: duplicate SLO \"a\" (first at slos[0].id)",
                    "slos[1]: give exactly one of group and target",
                    "slos[1].objective: must be greater than 0 and less than 100",
                    "slos[1].windowDays: must be between 1 and 90",
                    "slos[2].id: must match [a-z0-9][a-z0-9._-]*",
                    "slos[2].group: unknown group \"nope\"")),
            new Case(
                "slos: [{id: x, target: nope}, 7]",
                List.of(
                    "slos[0].target: unknown target \"nope\"",
                    "slos[0].objective: required",
                    "slos[1]: must be a mapping")));
    for (Case c : cases) {
      ConfigException e = assertThrows(ConfigException.class, () -> read(c.yaml() + "\n"));
      assertEquals(
          String.join("\n", c.errors()),
          String.join("\n", e.errors().stream().map(ConfigError::toString).toList()),
          c.yaml());
    }
  }
}
