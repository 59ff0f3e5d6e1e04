"""The original demo's publisher, with Qpid Proton: `URL ADDRESS INTERVAL VALUE...`.

It sends each VALUE in turn as an AmqpValue string ("23"), one every INTERVAL seconds, over and over,
as the seed's publisher sent one temperature a second, until it is stopped. Like that publisher it
does not wait for each outcome before sending the next: a reading is sent whenever the router gave credit.
"""
import sys

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


class Publisher(MessagingHandler):
    def __init__(self, url, address, interval, values):
        super().__init__()
        self.url = url
        self.address = address
        self.interval = interval
        self.values = values
        self.sent = 0
        self.sender = None

    def on_start(self, event):
        connection = event.container.connect(self.url, allowed_mechs="ANONYMOUS")
        self.sender = event.container.create_sender(connection, self.address)
        event.container.schedule(self.interval, self)

    def on_link_opened(self, event):
        if event.link == self.sender:
            print("attached", flush=True)

    def on_timer_task(self, event):
        if self.sender.credit > 0:
            self.sender.send(Message(body=self.values[self.sent % len(self.values)]))
            self.sent += 1
        event.container.schedule(self.interval, self)


if __name__ == "__main__":
    Container(Publisher(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:])).run()
