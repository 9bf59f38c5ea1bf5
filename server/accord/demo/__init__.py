"""The demo study that `accord serve --demo` loads: a fictional peer-support study."""
