package io.quorate.config;

import io.quorate.store.Sla;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the shared file's {@code sla:} (contract terms, per-group overrides) and {@code slos:}
 * (objectives with error budgets) keys; every bad value is reported at its YAML path.
 */
final class ObjectivesReader {
  static final Set<String> SLA_KEYS = Set.of("objective", "credit", "maxCreditPercent", "groups");
  static final Set<String> GROUP_KEYS = Set.of("objective", "credit", "maxCreditPercent");
  static final Set<String> CREDIT_KEYS = Set.of("tiers");
  static final Set<String> TIER_KEYS = Set.of("below", "percent");
  static final Set<String> SLO_KEYS = Set.of("id", "group", "target", "objective", "windowDays");

  /** At most this many credit tiers. */
  static final int MAX_TIERS = 20;

  private static final String DOWNTIME = "downtime-percentage";
  private static final List<Map.Entry<String, YamlNode>> NO_ENTRIES = List.of();

  private final Set<String> groups;
  private final Set<String> targets;

  ObjectivesReader(Set<String> targets, Set<String> groups) {
    this.targets = Set.copyOf(targets);
    this.groups = Set.copyOf(groups);
  }

  /** One level of terms as written: any part may be absent ({@code null}). */
  private record Partial(Double objective, Sla.Credit credit, Double maxCredit) {}

  Objectives read(YamlNode sla, YamlNode slos) {
    int mark = sla.errors().count();
    Sla.Terms terms = null;
    Map<String, Sla.Terms> byGroup = new LinkedHashMap<>();
    if (sla.mapping(SLA_KEYS)) {
      Partial top = partial(sla);
      terms = top.objective() == null ? null : merge(top, top);
      List<Map.Entry<String, YamlNode>> entries = sla.get("groups").entries();
      for (Map.Entry<String, YamlNode> e : entries == null ? NO_ENTRIES : entries) {
        Sla.Terms t = groupTerms(e.getKey(), e.getValue(), top);
        if (t != null) {
          byGroup.put(e.getKey(), t);
        }
      }
    }
    List<Objectives.Slo> list = slos(slos);
    if (sla.errors().since(mark)) {
      return Objectives.NONE;
    }
    return new Objectives(terms, byGroup, list);
  }

  private Sla.Terms groupTerms(String id, YamlNode node, Partial top) {
    if (!groups.contains(id)) {
      node.error("unknown group \"" + id + "\"");
      return null;
    }
    int mark = node.errors().count();
    if (!node.mapping(GROUP_KEYS)) {
      return null;
    }
    Partial own = partial(node);
    if (own.objective() == null && top.objective() == null && !node.get("objective").present()) {
      node.get("objective").error("required (sla.objective is not set)");
    }
    return node.errors().since(mark) ? null : merge(own, top);
  }

  /** {@code own} with absent parts taken from {@code top}, then the built-in defaults. */
  private static Sla.Terms merge(Partial own, Partial top) {
    Double objective = own.objective() != null ? own.objective() : top.objective();
    Sla.Credit credit = own.credit() != null ? own.credit() : top.credit();
    Double max = own.maxCredit() != null ? own.maxCredit() : top.maxCredit();
    if (objective == null) {
      return null;
    }
    return new Sla.Terms(objective, credit == null ? Sla.DowntimePercentage.INSTANCE : credit, max);
  }

  private static Partial partial(YamlNode node) {
    Double objective = openPercent(node.get("objective"));
    Sla.Credit credit = credit(node.get("credit"));
    Double max = percent(node.get("maxCreditPercent"));
    return new Partial(objective, credit, max);
  }

  /** A percentage in (0, 100): 100 % is not an objective anyone can keep. */
  private static Double openPercent(YamlNode node) {
    Double d = node.decimal();
    if (d != null && !(d > 0 && d < 100)) {
      node.error("must be greater than 0 and less than 100");
      return null;
    }
    return d;
  }

  /** A percentage in (0, 100]. */
  private static Double percent(YamlNode node) {
    Double d = node.decimal();
    if (d != null && !(d > 0 && d <= 100)) {
      node.error("must be greater than 0 and at most 100");
      return null;
    }
    return d;
  }

  private static Sla.Credit credit(YamlNode node) {
    if (!node.present()) {
      return null;
    }
    String s = node.peekString();
    if (DOWNTIME.equals(s)) {
      return Sla.DowntimePercentage.INSTANCE;
    }
    if (s != null) {
      node.error("must be " + DOWNTIME + " or a mapping with tiers");
      return null;
    }
    if (!node.mapping(CREDIT_KEYS) || !node.get("tiers").requirePresent()) {
      return null;
    }
    return tiers(node.get("tiers"));
  }

  private static Sla.Tiers tiers(YamlNode node) {
    List<YamlNode> items = node.items();
    if (items == null) {
      return null;
    }
    if (items.isEmpty() || items.size() > MAX_TIERS) {
      node.error("must list 1 to " + MAX_TIERS + " tiers");
      return null;
    }
    int mark = node.errors().count();
    List<Sla.Tier> tiers = new ArrayList<>();
    Double previous = null;
    for (YamlNode item : items) {
      if (!item.mapping(TIER_KEYS)) {
        continue;
      }
      Double below = item.get("below").requirePresent() ? percent(item.get("below")) : null;
      Double credit = item.get("percent").requirePresent() ? percent(item.get("percent")) : null;
      if (below != null && previous != null && !(below < previous)) {
        item.get("below")
            .error(
                "must be below the previous tier's (" + text(previous) + "): strictly decreasing");
      }
      previous = below != null ? below : previous;
      if (below != null && credit != null) {
        tiers.add(new Sla.Tier(below, credit));
      }
    }
    return node.errors().since(mark) ? null : new Sla.Tiers(tiers);
  }

  private List<Objectives.Slo> slos(YamlNode node) {
    List<Objectives.Slo> out = new ArrayList<>();
    List<YamlNode> items = node.itemsOrEmpty();
    if (items.size() > Objectives.MAX_SLOS) {
      node.error("at most " + Objectives.MAX_SLOS + " SLOs");
      return out;
    }
    Map<String, String> ids = new HashMap<>();
    for (YamlNode item : items) {
      Objectives.Slo slo = slo(item, ids);
      if (slo != null) {
        out.add(slo);
      }
    }
    return out;
  }

  private Objectives.Slo slo(YamlNode node, Map<String, String> ids) {
    int mark = node.errors().count();
    if (!node.mapping(SLO_KEYS)) {
      return null;
    }
    String id = Names.id(node.get("id"), "SLO", ids);
    String group = known(node.get("group"), groups, "group");
    String target = known(node.get("target"), targets, "target");
    if (node.get("group").present() == node.get("target").present()) {
      node.error("give exactly one of group and target");
    }
    Double objective =
        node.get("objective").requirePresent() ? openPercent(node.get("objective")) : null;
    Long days =
        node.get("windowDays")
            .integer(1, Objectives.MAX_WINDOW_DAYS, (long) Objectives.DEFAULT_WINDOW_DAYS);
    if (node.errors().since(mark)) {
      return null;
    }
    return new Objectives.Slo(id, group, target, objective, days.intValue());
  }

  private static String known(YamlNode node, Set<String> known, String what) {
    String s = node.nonEmptyString();
    if (s != null && !known.contains(s)) {
      node.error("unknown " + what + " \"" + s + "\"");
      return null;
    }
    return s;
  }

  /** 99.0 as {@code 99}, 99.9 as {@code 99.9}. */
  static String text(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
