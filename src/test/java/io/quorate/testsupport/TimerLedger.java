package io.quorate.testsupport;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vert.x instance that records the timers set through it: every call is passed to the real
 * instance, and {@code setTimer}/{@code setPeriodic}/{@code cancelTimer} are also kept in a ledger,
 * so a test can prove that a component cancelled every periodic timer it set (a one-shot timer that
 * fired is done). Verticles are initialised by Vert.x with the real instance, so their timers are
 * not seen here (undeploying cancels those).
 */
public final class TimerLedger implements InvocationHandler {
  private final Vertx real;
  private final Map<Long, String> outstanding = new ConcurrentHashMap<>();
  private final Set<Long> periodic = ConcurrentHashMap.newKeySet();
  private final Set<Long> fired = ConcurrentHashMap.newKeySet();
  private final AtomicInteger periodicSet = new AtomicInteger();

  private TimerLedger(Vertx real) {
    this.real = real;
  }

  /** The recording view of {@code real}, and its ledger. */
  public record Recording(Vertx vertx, TimerLedger ledger) {}

  public static Recording wrap(Vertx real) {
    TimerLedger l = new TimerLedger(real);
    Vertx proxy =
        (Vertx)
            Proxy.newProxyInstance(
                TimerLedger.class.getClassLoader(), new Class<?>[] {VertxInternal.class}, l);
    return new Recording(proxy, l);
  }

  /** Timers set through this instance and neither cancelled nor (one-shot) fired: where from. */
  public Map<Long, String> outstanding() {
    return Map.copyOf(outstanding);
  }

  /** How many periodic timers were set through this instance. */
  public int periodicSet() {
    return periodicSet.get();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
    String name = m.getName();
    boolean timer = name.equals("setTimer") || name.equals("setPeriodic");
    if (timer && args[args.length - 1] instanceof Handler<?> h) {
      boolean isPeriodic = name.equals("setPeriodic");
      Handler<Long> original = (Handler<Long>) h;
      Handler<Long> wrapped =
          id -> {
            if (!isPeriodic) {
              fired.add(id);
              outstanding.remove(id);
            }
            original.handle(id);
          };
      args[args.length - 1] = wrapped;
      long id = (Long) call(m, args);
      if (isPeriodic) {
        periodic.add(id);
        periodicSet.incrementAndGet();
      }
      if (!fired.contains(id)) {
        outstanding.put(id, name + " by " + caller());
      }
      return id;
    }
    if (name.equals("cancelTimer")) {
      outstanding.remove((Long) args[0]);
    }
    return call(m, args);
  }

  private Object call(Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static String caller() {
    for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
      String c = e.getClassName();
      if (c.startsWith("io.quorate.") && !c.startsWith("io.quorate.testsupport.")) {
        return c + "." + e.getMethodName() + ":" + e.getLineNumber();
      }
    }
    return "?";
  }
}
