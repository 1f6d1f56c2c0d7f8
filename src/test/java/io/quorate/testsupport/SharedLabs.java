package io.quorate.testsupport;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts each real-server lab at most once per test run and passes it to
 * the test classes that ask for it as a parameter, typically of their {@code @BeforeAll} method:
 * {@link PostfixLab} (with its Dovecot SASL service), {@link DovecotLab}, {@link NginxLab}. A lab
 * starts when first asked for and is stopped, each daemon by its own PID, when the run ends (it is
 * held in the root context's store). Test classes sharing a lab only probe it; none changes its
 * configuration or state.
 *
 * <pre>{@code
 * @ExtendWith({VertxExtension.class, SharedLabs.class})
 * class SmtpProbePostfixTest {
 *   @BeforeAll
 *   static void useLab(PostfixLab postfix) { ... }
 * }</pre>
 */
public final class SharedLabs implements ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(SharedLabs.class);

  @Override
  public boolean supportsParameter(ParameterContext param, ExtensionContext context) {
    Class<?> type = param.getParameter().getType();
    return type == PostfixLab.class || type == DovecotLab.class || type == NginxLab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext param, ExtensionContext context) {
    Class<?> type = param.getParameter().getType();
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(type, SharedLabs::start, Running.class)
        .lab();
  }

  private static Running start(Class<?> type) {
    if (type == PostfixLab.class) {
      return new Running(PostfixLab.start(), null);
    }
    if (type == DovecotLab.class) {
      return new Running(DovecotLab.start(), null);
    }
    Path dir = DovecotLab.labDir("quorate-nginx");
    try {
      return new Running(NginxLab.start(dir), dir);
    } catch (RuntimeException e) {
      DovecotLab.deleteTree(dir);
      throw e;
    }
  }

  /** A started lab, and the temp dir to remove after it stopped (null if the lab removes it). */
  private record Running(AutoCloseable lab, Path dir)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      try {
        lab.close();
      } finally {
        if (dir != null) {
          DovecotLab.deleteTree(dir);
        }
      }
    }
  }
}
