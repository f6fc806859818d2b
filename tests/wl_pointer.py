#!/usr/bin/python3
"""Gives a headless wlroots compositor (sway) a mouse, for the Wayland test.

sway with WLR_BACKENDS=headless has no input devices, so its seat offers
clients no pointer and `swaymsg seat - cursor press button1` reaches nobody.
This creates one virtual pointer (wlr-virtual-pointer-unstable-v1, which
sway implements) and keeps it while it runs; the test then moves and clicks
it with swaymsg. It speaks the Wayland wire protocol itself, so it needs
nothing but Python (no pywayland, no wlrctl: neither is in Debian 12).

Usage: wl_pointer.py   (WAYLAND_DISPLAY and XDG_RUNTIME_DIR from the
environment). Prints "ready" once the compositor has the device, then runs
until it is killed or the compositor goes away. Exits 1 if the compositor lacks the protocol.
"""
import os
import socket
import struct
import sys

MANAGER = "zwlr_virtual_pointer_manager_v1"


def fail(msg):
    print("wl_pointer: " + msg, file=sys.stderr)
    sys.exit(1)


def message(obj, opcode, payload=b""):
    return struct.pack("=II", obj, (8 + len(payload)) << 16 | opcode) + payload


def string(s):
    b = s.encode() + b"\0"
    return struct.pack("=I", len(b)) + b + b"\0" * (-len(b) % 4)


class Connection:
    def __init__(self):
        name = os.environ.get("WAYLAND_DISPLAY", "wayland-0")
        path = name if name.startswith("/") else os.path.join(os.environ["XDG_RUNTIME_DIR"], name)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = b""
        self.next_id = 2  # 1 is wl_display

    def new_id(self):
        self.next_id += 1
        return self.next_id - 1

    def send(self, data):
        self.sock.sendall(data)

    def events(self):
        """Yields (object, opcode, payload) until the connection closes."""
        while True:
            while len(self.buf) >= 8:
                obj, word = struct.unpack_from("=II", self.buf)
                size = word >> 16
                if len(self.buf) < size:
                    break
                payload = self.buf[8:size]
                self.buf = self.buf[size:]
                yield obj, word & 0xFFFF, payload
            chunk = self.sock.recv(65536)
            if not chunk:
                return
            self.buf += chunk

    def roundtrip(self, on_event):
        """wl_display.sync; on_event sees every event until its done."""
        callback = self.new_id()
        self.send(message(1, 0, struct.pack("=I", callback)))
        for obj, opcode, payload in self.events():
            if obj == 1 and opcode == 0:  # wl_display.error
                _, code = struct.unpack_from("=II", payload)
                n = struct.unpack_from("=I", payload, 8)[0]
                fail("protocol error %d: %s" % (code, payload[12:12 + n - 1].decode()))
            if obj == callback:
                return
            on_event(obj, opcode, payload)
        fail("the compositor closed the connection")


def main():
    conn = Connection()
    registry = conn.new_id()
    conn.send(message(1, 1, struct.pack("=I", registry)))  # wl_display.get_registry
    found = {}

    def on_global(obj, opcode, payload):
        if obj == registry and opcode == 0:  # wl_registry.global
            name, n = struct.unpack_from("=II", payload)
            interface = payload[8:8 + n - 1].decode()
            version = struct.unpack_from("=I", payload, 8 + n + (-n % 4))[0]
            found[interface] = (name, version)

    conn.roundtrip(on_global)
    if MANAGER not in found:
        fail("the compositor does not offer " + MANAGER)
    name, _ = found[MANAGER]
    manager = conn.new_id()
    # wl_registry.bind(name, interface, version 1, new id)
    conn.send(message(registry, 0, struct.pack("=I", name) + string(MANAGER) +
                      struct.pack("=II", 1, manager)))
    pointer = conn.new_id()
    # create_virtual_pointer(seat: null = the default seat, new id)
    conn.send(message(manager, 0, struct.pack("=II", 0, pointer)))
    conn.roundtrip(lambda *_: None)
    print("ready", flush=True)
    # The device lives as long as this connection: keep it until the
    # compositor goes away or the test ends this process.
    for _ in conn.events():
        pass


if __name__ == "__main__":
    main()
