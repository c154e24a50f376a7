"""The messaging layer, the extension's front door: the native messaging frames (framing), the messages and
who may send them (protocol, errors), the host process the browser starts (host), and installing it (install).

`python -m native_host.messaging.host` is what the launcher written by `optout install` runs. The host imports
the layers beneath it lazily, so `hello` answers without loading the engine.
"""
