package io.quorate.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeshTuningTest {
  @AfterEach
  void clear() {
    System.clearProperty(MeshTuning.DELAY_PROPERTY);
  }

  @Test
  void noPropertyMeansDefault() {
    assertEquals(MeshTuning.DEFAULT, MeshTuning.fromSystemProperties());
    assertEquals(0, MeshTuning.DEFAULT.sendDelayMs());
  }

  @Test
  void delayAndJitterFromTheTestOnlyProperty() {
    System.setProperty(MeshTuning.DELAY_PROPERTY, "300:100");
    MeshTuning t = MeshTuning.fromSystemProperties();
    assertEquals(300, t.sendDelayMs());
    assertEquals(100, t.sendDelayJitterMs());
    System.setProperty(MeshTuning.DELAY_PROPERTY, "250");
    assertEquals(0, MeshTuning.fromSystemProperties().sendDelayJitterMs());
  }

  @Test
  void badValuesAreRefused() {
    System.setProperty(MeshTuning.DELAY_PROPERTY, "slow");
    assertThrows(IllegalArgumentException.class, MeshTuning::fromSystemProperties);
    System.setProperty(MeshTuning.DELAY_PROPERTY, "100:200");
    assertThrows(IllegalArgumentException.class, MeshTuning::fromSystemProperties);
  }
}
