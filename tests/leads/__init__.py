"""Lead ads client side: crypto, store, receiver, frames, API service (no emulator needed)."""
