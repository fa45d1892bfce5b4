from __future__ import annotations

from aiport.errors import Conflict, Forbidden, NotFound, Unauthenticated


class EmailTaken(Conflict):
    code = "email_taken"

    def __init__(self, email: str):
        super().__init__(f"a user with email {email!r} already exists")


class UserNotFound(NotFound):
    code = "user_not_found"

    def __init__(self, user: int | str):
        super().__init__(f"user {user} not found")


class TokenNotFound(NotFound):
    code = "token_not_found"

    def __init__(self, token_id: int):
        super().__init__(f"token {token_id} not found")


class WrongCredentials(Unauthenticated):
    code = "wrong_credentials"
    default_message = "wrong email or password"


class NotInstanceAdmin(Forbidden):
    code = "not_instance_admin"
