"""Accounts: users with a role, their passwords, and the providers they may edit.

Roles (docs/cli.md#etalage-users-create): `beheerder` (everything), `toegang` (the
professional view and tariffs), `aanbieder` (bound to one or more KvK numbers).
Passwords are hashed with argon2id (`argon2-cffi`) and checked against common passwords
(`passwords.py`); users are created and disabled through `users.py`.
"""
