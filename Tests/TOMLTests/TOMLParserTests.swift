import TOML
import Testing
