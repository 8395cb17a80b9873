"""The pure analysis engine. It never imports Django: an adapter elsewhere compiles the register into a snapshot."""
