"""A Qpid Proton client for interop tests: `send URL ADDRESS COUNT` or `receive URL ADDRESS COUNT`.

It sends the numbers 0..COUNT-1 as AmqpValue strings, the way the original demo's publisher did,
or receives and accepts COUNT messages and prints each body on a line of its own.
"""
import sys

from proton import Message
from proton.utils import BlockingConnection


def main(mode, url, address, count):
    connection = BlockingConnection(url, timeout=30, allowed_mechs="ANONYMOUS")
    try:
        if mode == "send":
            sender = connection.create_sender(address)
            for i in range(count):
                sender.send(Message(body=str(i)))
            print(f"sent {count}", flush=True)
        else:
            receiver = connection.create_receiver(address, credit=count)
            print("attached", flush=True)
            for _ in range(count):
                message = receiver.receive(timeout=30)
                receiver.accept()
                print(message.body, flush=True)
    finally:
        connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
