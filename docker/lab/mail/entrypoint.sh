#!/bin/sh
# Mail server of the lab: a self-signed certificate made on first start, Dovecot (IMAP/POP3) in
# the background, Postfix (SMTP 25 with STARTTLS, 465 implicit TLS) in the foreground.
set -eu
tls=/etc/quorate-lab/tls
mkdir -p "$tls"
if [ ! -f "$tls/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=mail.example.test \
    -addext "subjectAltName=DNS:mail.example.test,DNS:mail" \
    -keyout "$tls/key.pem" -out "$tls/cert.pem" 2>/dev/null
  chmod 0600 "$tls/key.pem"
fi
install -d -o dovecot -g dovecot /var/lib/quorate-lab-mail
dovecot -c /etc/dovecot/dovecot.conf
exec postfix start-fg
