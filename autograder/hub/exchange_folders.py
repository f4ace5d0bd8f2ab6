"""nbgrader's exchange folders for a class of real accounts, made before anyone uses them (nbgrader only sets modes on
the folders it creates, and then ones that let students see each other's work).

    <root>                       root, 1777 (nbgrader's release insists on a root everyone may write in; the
                                 sticky bit keeps each entry its owner's: no one renames or removes the course)
    <root>/<course>              instructor:graders, 755
    <root>/<course>/outbound     instructor:graders, 755: students fetch released assignments, only the instructor
                                 releases
    <root>/<course>/inbound      instructor:graders, 3733 (sticky, set-group-id): students create their submission
                                 folders but cannot list the folder, nor rename or delete anyone else's entry; each
                                 submission takes the graders group, which student/hub_exchange.PrivateSubmit opens it
                                 to, and no one else
    <root>/<course>/feedback     instructor:graders, 711: not listable; each page is the instructor's and its
                                 student's alone (student/hub_exchange.PrivateReleaseFeedback)
"""
import os
import pwd
from pathlib import Path

from autograder.course import COURSE_ID

ROOT_MODE = 0o1777
MODES = {"": 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}


def make(root, instructor, graders_gid, course_id=COURSE_ID):
    """The exchange at root for one course; return the course's folder."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    os.chown(root, 0, 0)
    os.chmod(root, ROOT_MODE)
    uid = pwd.getpwnam(instructor).pw_uid
    course = root / course_id
    for name, mode in MODES.items():
        folder = course / name if name else course
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, uid, graders_gid)
        os.chmod(folder, mode)  # after chown, which clears the set-group-id bit
    return course
