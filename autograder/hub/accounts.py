"""The hub's Linux accounts: an instructor and students, each with a private home, and the instructors' group that
owns the exchange's inbound folder. Run as root (useradd, chpasswd)."""
import grp
import os
import pwd
import secrets
import subprocess

HOME_MODE = 0o700  # a home that `useradd` makes 755 on Debian lets every account read everyone's work in progress


def exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def group_exists(name):
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def ensure_group(name):
    if not group_exists(name):
        subprocess.run(["groupadd", name], check=True)
    return grp.getgrnam(name).gr_gid


def ensure_user(name, groups=()):
    """The account (made if missing, with a home of its own), in `groups`, its home private."""
    if not exists(name):
        subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name], check=True)
    for group in groups:
        subprocess.run(["usermod", "--append", "--groups", group, name], check=True)
    home = pwd.getpwnam(name).pw_dir
    os.chmod(home, HOME_MODE)
    return pwd.getpwnam(name)


def set_password(name, password=None):
    """A new password for the account (random unless given); return it."""
    password = password or secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    return password


def remove_user(name):
    """The account, its home and its own group, if they exist (a test's or a demo's accounts)."""
    if exists(name):
        subprocess.run(["userdel", "--remove", name], capture_output=True)
    remove_group(name)


def remove_group(name):
    if group_exists(name):
        subprocess.run(["groupdel", name], capture_output=True)
