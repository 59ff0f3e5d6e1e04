"""Sends COUNT valid readings, each from a device of its own with a 128-character id, to ADDRESS at URL.

  hostile_devices.py URL ADDRESS COUNT ROUND

What a client forging device ids would do to grow an aggregator's memory. Prints "accepted N" at the end.
"""
import sys

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


class DeviceForger(MessagingHandler):
    def __init__(self, url, address, count, round_):
        super().__init__()
        self.url, self.address, self.count, self.round = url, address, count, round_
        self.sent = self.accepted = self.settled = 0

    def on_start(self, event):
        event.container.create_sender(event.container.connect(self.url, allowed_mechs="ANONYMOUS"), self.address)

    def on_sendable(self, event):
        while event.sender.credit > 0 and self.sent < self.count:
            device = f"forged-{self.round:03d}-{self.sent:09d}-" + "x" * 107  # 128 characters, the most taken
            body = '{"device-id":"%s","temperature":21.5,"seq":1}' % device
            event.sender.send(Message(body=body.encode(), inferred=True))
            self.sent += 1

    def on_accepted(self, event):
        self.accepted += 1

    def on_settled(self, event):
        self.settled += 1
        if self.settled == self.count:
            print(f"accepted {self.accepted}", flush=True)
            event.connection.close()


if __name__ == "__main__":
    Container(DeviceForger(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))).run()
