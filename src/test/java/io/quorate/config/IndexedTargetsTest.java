package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config's target index: lookups by id, and a list that still behaves like any other. */
class IndexedTargetsTest {
  private static QuorateConfig config(int n) throws Exception {
    StringBuilder y = new StringBuilder("regions: [eu-west]\ntargets:\n");
    for (int i = 0; i < n; i++) {
      y.append("  - {id: t").append(i).append(", type: tcp, address: 127.0.0.1, port: 9}\n");
    }
    return new ConfigLoader(name -> null).parseShared(y.toString(), "q.yaml");
  }

  @Test
  void everyTargetIsFoundByIdAndAnUnknownOneIsNot() throws Exception {
    QuorateConfig c = config(500);
    for (Target t : c.targets()) {
      assertSame(t, c.target(t.id()).orElseThrow());
    }
    assertTrue(c.target("t500").isEmpty());
    assertTrue(c.target(null).isEmpty());
  }

  @Test
  void theListKeepsListSemanticsAndStaysImmutable() throws Exception {
    QuorateConfig c = config(3);
    List<Target> plain = new ArrayList<>(c.targets());
    assertEquals(plain, c.targets());
    assertEquals(plain.hashCode(), c.targets().hashCode());
    QuorateConfig copy =
        new QuorateConfig(
            c.regions(), c.quorum(), c.defaults(), c.groups(), plain, c.zones(), c.pools());
    assertEquals(c.targets(), copy.targets());
    assertSame(plain.get(1), copy.target("t1").orElseThrow());
    assertThrows(UnsupportedOperationException.class, () -> c.targets().add(plain.get(0)));
    assertThrows(UnsupportedOperationException.class, () -> c.targets().remove(0));
    plain.clear(); // the config holds its own copy
    assertEquals(3, copy.targets().size());
  }
}
