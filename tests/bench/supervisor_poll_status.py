#!/usr/bin/python3
"""Asks drover-supervisor-host for `status` once a second over its --control socket.

The Drover counterpart of measure.sh's pollers (PM2: pm2.list() every second; supervisord:
getAllProcessInfo() every second), so `pmprobe.py idle HOST_PID` measures the host while a
client polls it at 1 Hz. One connection per request: the host's control socket takes one
command per connection. Runs until killed.

  supervisor_poll_status.py SOCKET_PATH
"""
import socket
import sys
import time


def status(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        s.sendall(b"status\n")
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
        return reply
    finally:
        s.close()


if __name__ == "__main__":
    path = sys.argv[1]
    while True:
        try:
            status(path)
        except OSError as e:
            print("poll_status: %s" % e, file=sys.stderr)
        time.sleep(1)
