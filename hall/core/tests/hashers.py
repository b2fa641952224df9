"""The password hasher of the test runs: argon2id like production, at the
smallest cost. The suite logs in and fails logins thousands of times (the
lockout tests alone make hundreds of attempts), and production's cost — about
a third of a second a hash on this machine — would be most of their time.
The hashes say "argon2" as production's do; production's list is checked on
the settings module itself (hall/org/tests/test_login.py)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
