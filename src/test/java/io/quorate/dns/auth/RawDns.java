package io.quorate.dns.auth;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Raw DNS bytes over plain sockets on the test thread (bounded waits), for bad-input tests. */
final class RawDns {
  static final int WAIT_MS = 3000;

  private RawDns() {}

  /** A header: id, flags word, then QD/AN/NS/AR counts; {@code body} appended. */
  static byte[] message(int id, int flags, int qd, int an, int ns, int ar, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int v : new int[] {id, flags, qd, an, ns, ar}) {
      out.write(v >> 8);
      out.write(v & 0xFF);
    }
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** {@code www.demo.test. IN A} as question-section bytes. */
  static byte[] question() {
    return concat(name("www.demo.test"), new byte[] {0, 1, 0, 1});
  }

  static byte[] name(String dotted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String label : dotted.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    out.write(0);
    return out.toByteArray();
  }

  /** An OPT pseudo-record (root owner, payload 1232, version 0). */
  static byte[] opt() {
    return new byte[] {0, 0, 41, 0x04, (byte) 0xD0, 0, 0, 0, 0, 0, 0};
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A good query for www.demo.test/A with {@code id}. */
  static byte[] good(int id) throws IOException {
    Message q = Message.newQuery(Record.newRecord(Name.fromString("www.demo.test."), 1, DClass.IN));
    q.getHeader().setID(id);
    return q.toWire();
  }

  /** Sends {@code wire} over UDP from {@code s}; the next datagram within the wait, or null. */
  static Message udpExchange(DatagramSocket s, int port, byte[] wire) throws IOException {
    s.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
    return udpReceive(s);
  }

  static Message udpReceive(DatagramSocket s) throws IOException {
    s.setSoTimeout(WAIT_MS);
    DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
    try {
      s.receive(in);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new Message(Arrays.copyOf(in.getData(), in.getLength()));
  }

  static void tcpWrite(Socket s, byte[] wire) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(new byte[] {(byte) (wire.length >> 8), (byte) wire.length});
    out.write(wire);
    out.flush();
  }

  /** The next framed message on {@code s}, or null at EOF (the server closed). */
  static Message tcpRead(Socket s) throws IOException {
    s.setSoTimeout(WAIT_MS);
    DataInputStream in = new DataInputStream(s.getInputStream());
    int len;
    try {
      len = in.readUnsignedShort();
    } catch (EOFException e) {
      return null;
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return new Message(b);
  }
}
