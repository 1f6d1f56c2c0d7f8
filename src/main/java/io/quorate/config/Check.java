package io.quorate.config;

/** Type-specific options of a target; exactly one matches the target's {@link ProbeType}. */
public sealed interface Check
    permits DnsCheck,
        HttpCheck,
        TcpCheck,
        TlsCheck,
        SmtpCheck,
        ImapCheck,
        Pop3Check,
        MailflowCheck,
        HeartbeatCheck {}
