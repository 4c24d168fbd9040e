"""The shipped config, installed as papercast.starter: `papercast init` starts a new folder from it."""
