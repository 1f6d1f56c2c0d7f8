package io.quorate.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks two servers each distinct question of a dnsperf query file once (UDP, no EDNS, like dnsperf)
 * and reports where their answers differ: RCODE, AA, section counts, size. So a throughput
 * comparison is known to compare the same work.
 */
final class AnswerDiff {
  private AnswerDiff() {}

  static String compare(Path queries, int portA, int portB) throws IOException {
    Set<String> distinct = new LinkedHashSet<>();
    for (String line : Files.readAllLines(queries)) {
      if (distinct.size() < 500) { // bounded: a mixed-case file has ~50,000
        distinct.add(line);
      }
    }
    List<String> diffs = new ArrayList<>();
    int sameSize = 0;
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2_000); // a bench main thread, not an event loop: blocking is fine here
      for (String line : distinct) {
        String[] q = line.split(" ");
        Message query =
            Message.newQuery(
                Record.newRecord(Name.fromString(q[0], Name.root), Type.value(q[1]), DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        byte[] a = ask(s, query, portA);
        byte[] b = ask(s, query, portB);
        String da = describe(new Message(a));
        String db = describe(new Message(b));
        if (a.length == b.length) {
          sameSize++;
        }
        if (!da.equals(db) || a.length != b.length) {
          diffs.add(line + ": embedded " + da + " " + a.length + " B, bind " + db + " " + b.length);
        }
      }
    }
    return String.format(
        "answers compared: %d distinct questions, %d same size, %d differ%s",
        distinct.size(),
        sameSize,
        diffs.size(),
        diffs.isEmpty()
            ? ""
            : ":\n  " + String.join("\n  ", diffs.subList(0, Math.min(20, diffs.size()))));
  }

  private static byte[] ask(DatagramSocket s, Message query, int port) throws IOException {
    byte[] wire = query.toWire();
    s.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
    DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
    s.receive(in);
    return Arrays.copyOf(in.getData(), in.getLength());
  }

  private static String describe(Message m) {
    return Rcode.string(m.getRcode())
        + (m.getHeader().getFlag(Flags.AA) ? " aa" : "")
        + " "
        + m.getSection(Section.ANSWER).size()
        + "/"
        + m.getSection(Section.AUTHORITY).size()
        + "/"
        + m.getSection(Section.ADDITIONAL).size();
  }
}
