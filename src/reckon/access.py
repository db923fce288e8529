"""Who is acting, with what role, and what that role may see and do.

On the command line the actor is ``RECKON_USER`` or the operating-system user; the web app
authenticates a user with :func:`authenticate`. A project with no users at all is a single-user
local project: whoever runs Reckon is its admin. Once users exist, an unknown or inactive actor
may do nothing. Roles are ordered — viewer < documenter < analyst < investigator < admin — and
each includes the rights of those before it.

What each role may see (:func:`can_see`): viewers public material; documenters and analysts also
internal material; investigators and admins also restricted material (reads are audited).

Passwords are stored as argon2id hashes (argon2-cffi). User changes are audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reckon import audit
from reckon.errors import AuthenticationError, ConfigError, NotFoundError, PermissionDenied
from reckon.model import Role, Sensitivity, User
from reckon.store.project import Project
from reckon.store.project import current_actor as os_actor

ROLE_ORDER: tuple[Role, ...] = tuple(Role)
CLEARANCE: dict[Sensitivity, Role] = {
    Sensitivity.PUBLIC: Role.VIEWER,
    Sensitivity.INTERNAL: Role.DOCUMENTER,
    Sensitivity.RESTRICTED: Role.INVESTIGATOR,
}
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@dataclass(frozen=True)
class Actor:
    """Someone acting on a project, and the role they act with."""

    username: str
    role: Role
    single_user: bool = False  # a project without users: the local user is admin

    def has_role(self, role: Role | str) -> bool:
        return role_rank(self.role) >= role_rank(Role(role))


def role_rank(role: Role | str) -> int:
    """Position of a role in viewer < documenter < analyst < investigator < admin."""
    return ROLE_ORDER.index(Role(role))


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in ROLE_ORDER)
        raise ConfigError(f"unknown role {value!r}: choose one of {choices}") from None


def require_role(actor: Actor, role: Role | str, action: str | None = None) -> None:
    """Raise PermissionDenied unless `actor` has at least `role`."""
    if not actor.has_role(role):
        what = f" to {action}" if action else ""
        raise PermissionDenied(
            f"user {actor.username!r} has role {actor.role.value}; a role of at least "
            f"{Role(role).value} is needed{what}"
        )


def can_see(actor: Actor, sensitivity: Sensitivity | str) -> bool:
    """Whether `actor` may see material of this sensitivity."""
    return actor.has_role(CLEARANCE[Sensitivity(sensitivity)])


def require_clearance(actor: Actor, sensitivity: Sensitivity | str, what: str) -> None:
    """Raise PermissionDenied unless `actor` may see `sensitivity` material."""
    if not can_see(actor, sensitivity):
        needed = CLEARANCE[Sensitivity(sensitivity)].value
        raise PermissionDenied(
            f"{what} is {Sensitivity(sensitivity).value}: a role of at least {needed} is needed "
            f"(user {actor.username!r} is {actor.role.value})"
        )


def _actor_in(session: Session, username: str) -> Actor:
    if not session.scalar(select(func.count()).select_from(User)):
        return Actor(username, Role.ADMIN, single_user=True)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise PermissionDenied(
            f"{username!r} is not a user of this project; an admin can add them with "
            "`reckon users add` (or set RECKON_USER)"
        )
    if not user.active:
        raise PermissionDenied(f"user {username!r} is deactivated")
    return Actor(user.username, Role(user.role))


def resolve_actor(project: Project, username: str | None = None) -> Actor:
    """The acting user and role: `username`, else RECKON_USER, else the OS user."""
    with project.session() as session:
        return _actor_in(session, username or os_actor())


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def authenticate(project: Project, username: str, password: str) -> Actor:
    """Check a password; the user as an Actor, or AuthenticationError (same message either way)."""
    with project.session() as session:
        user = session.scalar(select(User).where(User.username == username))
        failure = AuthenticationError("unknown user or wrong password")
        if user is None or not user.password_hash or not user.active:
            _hasher.hash(password)  # spend the same time as a real check
            raise failure
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise failure from None
        return Actor(user.username, Role(user.role))


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str | None
    role: str
    active: bool
    has_password: bool


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.username, user.display_name, user.role, user.active, bool(user.password_hash)
    )


def _user_covers(user_id: int) -> list[audit.RowSet]:
    return [audit.RowSet.row("app_user", user_id)]


def add_user(
    project: Project,
    actor: Actor,
    username: str,
    role: Role | str,
    *,
    password: str | None = None,
    display_name: str | None = None,
) -> UserInfo:
    """Add a user (admins only). The first user of a project must be an admin."""
    role = parse_role(str(role))
    username = username.strip()
    if not username:
        raise ConfigError("a username cannot be empty")
    with project.transaction() as session:
        require_role(actor, Role.ADMIN, "add users")
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise ConfigError(f"user {username!r} already exists; use `reckon users set-role`")
        first = not session.scalar(select(func.count()).select_from(User))
        if first and role is not Role.ADMIN:
            raise ConfigError(
                "the first user of a project must be an admin (otherwise nobody could manage it)"
            )
        user = User(
            username=username,
            display_name=display_name,
            role=role.value,
            password_hash=hash_password(password) if password else None,
        )
        session.add(user)
        session.flush()
        audit.append(
            session,
            actor=actor.username,
            action="user.add",
            object_type="app_user",
            object_id=user.id,
            change={"username": username, "role": role.value, "password_set": bool(password)},
            covers=_user_covers(user.id),
        )
        return _info(user)


def set_role(project: Project, actor: Actor, username: str, role: Role | str) -> UserInfo:
    """Change a user's role (admins only); the last active admin cannot be demoted."""
    role = parse_role(str(role))
    with project.transaction() as session:
        require_role(actor, Role.ADMIN, "change roles")
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFoundError(f"no user named {username!r}")
        if user.role == Role.ADMIN.value and role is not Role.ADMIN:
            admins = session.scalar(
                select(func.count())
                .select_from(User)
                .where(User.role == Role.ADMIN.value, User.active.is_(True))
            )
            if admins <= 1:
                raise ConfigError(f"{username!r} is the last admin; make another admin first")
        previous = user.role
        user.role = role.value
        session.flush()
        audit.append(
            session,
            actor=actor.username,
            action="user.set_role",
            object_type="app_user",
            object_id=user.id,
            change={"username": username, "from": previous, "to": role.value},
            covers=_user_covers(user.id),
        )
        return _info(user)


def set_password(project: Project, actor: Actor, username: str, password: str) -> None:
    """Set a user's password (the user themself, or an admin)."""
    with project.transaction() as session:
        if actor.username != username:
            require_role(actor, Role.ADMIN, "set another user's password")
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFoundError(f"no user named {username!r}")
        user.password_hash = hash_password(password)
        session.flush()
        audit.append(
            session,
            actor=actor.username,
            action="user.set_password",
            object_type="app_user",
            object_id=user.id,
            change={"username": username},
            covers=_user_covers(user.id),
        )


def list_users(project: Project, actor: Actor) -> list[UserInfo]:
    """Every user of the project (admins only)."""
    require_role(actor, Role.ADMIN, "list users")
    with project.session() as session:
        return [_info(u) for u in session.scalars(select(User).order_by(User.username))]
