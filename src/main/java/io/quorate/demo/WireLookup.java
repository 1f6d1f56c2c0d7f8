package io.quorate.demo;

import io.quorate.dns.Records;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.TreeSet;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One plain UDP query, on the calling thread, the way {@code dig} asks: the scripted demo checks
 * what each region's DNS server really answers. Blocking: never call it on an event loop (the
 * scripted story runs on the CLI's main thread).
 */
final class WireLookup {
  static final int TIMEOUT_MS = 1_000;

  private WireLookup() {}

  /** The answer's values for {@code name}/{@code type}, sorted; empty on NXDOMAIN or NODATA. */
  static List<String> values(int port, String name, String type) throws IOException {
    Message q =
        Message.newQuery(Record.newRecord(Records.name(name), Type.value(type), 1 /* IN */));
    byte[] out = q.toWire();
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      s.setSoTimeout(TIMEOUT_MS);
      s.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", port)));
      byte[] in = new byte[65_535];
      DatagramPacket p = new DatagramPacket(in, in.length);
      s.receive(p);
      Message r = new Message(java.util.Arrays.copyOf(in, p.getLength()));
      if (r.getHeader().getID() != q.getHeader().getID()) {
        throw new IOException("answer with the wrong id");
      }
      int rcode = r.getRcode();
      if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
        throw new IOException("rcode " + Rcode.string(rcode));
      }
      TreeSet<String> values = new TreeSet<>();
      for (Record rec : r.getSection(Section.ANSWER)) {
        if (rec.getType() == Type.value(type)) {
          values.add(Records.value(rec));
        }
      }
      return List.copyOf(values);
    }
  }
}
