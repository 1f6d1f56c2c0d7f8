#!/bin/sh
# BIND primary of example.test: the zone file is copied once into the writable volume (dynamic
# updates rewrite it and keep a journal beside it), then named runs in the foreground as "bind".
set -eu
if [ ! -f /var/lib/bind/example.test.zone ]; then
  cp /etc/bind/lab/example.test.zone /var/lib/bind/example.test.zone
fi
chown -R bind:bind /var/lib/bind
exec /usr/sbin/named -g -u bind -c /etc/bind/lab/named.conf
