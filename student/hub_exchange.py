"""nbgrader's folder exchange with private submissions and feedback, for a course on a JupyterHub.

nbgrader's own `submit` leaves a submission's folder mode 777 and its files 644 (hidden only by a random name that
the student's own nbgrader_cache records), and `release_feedback` leaves feedback 644 (hidden only by a name derived
from the submission's secret). Anyone who learns a name can read, and in a submission also change, another student's
work. These two replacements, named in the hub's nbgrader_config.py (autograder/hub/install.py), keep the same
layout and names, so nbgrader's fetch, list, collect and fetch_feedback work unchanged:
- PrivateSubmit: the submission is made private from the start (folders 2770, files 640): the student and the
  exchange's inbound group (the instructors: inbound/ is set-group-id to it) read it, no one else;
- PrivateReleaseFeedback: each feedback page is 600 plus a read entry for its student alone (a POSIX access ACL, the
  "system.posix_acl_access" attribute that setfacl writes), so only the instructor and that student read it.
"""
import glob
import os
import pwd
import secrets
import shutil
import struct

from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import ignore_patterns, notebook_hash

SUBMISSION_FOLDER_MODE = 0o2770
SUBMISSION_FILE_MODE = 0o640
FEEDBACK_FILE_MODE = 0o600
ACL_ATTRIBUTE = "system.posix_acl_access"
# The kernel's ACL tags (linux/posix_acl.h) and its xattr format (linux/posix_acl_xattr.h): a version, then
# (tag, permissions, id) entries sorted by tag.
ACL_VERSION, ACL_USER_OBJ, ACL_USER, ACL_GROUP_OBJ, ACL_MASK, ACL_OTHER = 2, 0x01, 0x02, 0x04, 0x10, 0x20
ACL_UNDEFINED_ID = 0xFFFFFFFF
READ, WRITE = 4, 2


def owner_and_one_reader(uid):
    """The access ACL of a 600 file that one more account, uid, may read."""
    entries = [(ACL_USER_OBJ, READ | WRITE, ACL_UNDEFINED_ID), (ACL_USER, READ, uid),
               (ACL_GROUP_OBJ, 0, ACL_UNDEFINED_ID), (ACL_MASK, READ, ACL_UNDEFINED_ID),
               (ACL_OTHER, 0, ACL_UNDEFINED_ID)]
    return struct.pack("<I", ACL_VERSION) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


def make_private(folder):
    """The folder and everything in it: the owner and the folder's group only."""
    for path, _, files in os.walk(folder):
        os.chmod(path, SUBMISSION_FOLDER_MODE)
        for name in files:
            os.chmod(os.path.join(path, name), SUBMISSION_FILE_MODE)


def private_copytree(source, destination, ignore):
    """shutil.copytree without copying the source's modes: what it creates is as private as the umask makes it."""
    os.mkdir(destination, 0o700)
    names = os.listdir(source)
    ignored = set(ignore(source, names))
    for name in sorted(set(names) - ignored):
        from_path, to_path = os.path.join(source, name), os.path.join(destination, name)
        if os.path.islink(from_path):
            continue  # a link in the student's folder is not their work, and collect refuses links
        if os.path.isdir(from_path):
            private_copytree(from_path, to_path, ignore)
        else:
            shutil.copyfile(from_path, to_path)


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, but the submission is never readable by other students, not even for a moment."""

    def copy_files(self):
        self.init_release()
        submission_secret = secrets.token_hex(64)
        dest_path = os.path.join(self.inbound_path, self.assignment_filename)
        cache_path = os.path.join(self.cache_path, self.assignment_filename.rsplit("+", 1)[0]
                                  if self.add_random_string else self.assignment_filename)
        self.log.info("Source: {}".format(self.src_path))
        self.log.info("Destination: {}".format(dest_path))
        self.check_filename_diff()
        umask = os.umask(0o077)  # everything below is the student's alone until make_private opens it to the group
        try:
            self.do_copy(self.src_path, dest_path)
            self.write_marks(dest_path, submission_secret)
            make_private(dest_path)
        finally:
            os.umask(umask)
        os.makedirs(self.cache_path, exist_ok=True)  # the student's own copy, in their home
        super().do_copy(self.src_path, cache_path)
        self.write_marks(cache_path, submission_secret)
        self.log.info("Submitted as: {} {} {}".format(self.coursedir.course_id, self.coursedir.assignment_id,
                                                      str(self.timestamp)))

    def write_marks(self, folder, submission_secret):
        for name, text in (("timestamp.txt", self.timestamp), ("submission_secret.txt", submission_secret)):
            with open(os.path.join(folder, name), "w") as file:
                file.write(text)

    def do_copy(self, src, dest, log=None):
        """nbgrader's copy (its size limit, ignore and include patterns), without the source's modes."""
        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"Directory size is too big. Size is {self.get_size(src)}, maximum size is "
                               f"{1000 * self.coursedir.max_dir_size}")
        private_copytree(src, dest, ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                                    max_file_size=self.coursedir.max_file_size, log=self.log))


class PrivateReleaseFeedback(ExchangeReleaseFeedback):
    """nbgrader's release_feedback, then each page made readable by the instructor and its student alone. (Between
    the two, a page is named by a hash of its submission's secret, which only the student and the instructor read.)"""

    def copy_files(self):
        super().copy_files()
        for html_file in sorted(glob.glob(os.path.join(self.src_path, "*.html"))):
            folder = os.path.dirname(html_file)  # feedback/<student>/<assignment>/
            student_id = os.path.basename(os.path.dirname(folder))
            notebook_id = os.path.splitext(os.path.basename(html_file))[0]
            with open(os.path.join(folder, "submission_secret.txt")) as file:
                secret = file.read()
            page = os.path.join(self.dest_path, notebook_hash(secret=secret, notebook_id=notebook_id) + ".html")
            if os.path.exists(page):
                protect(page, student_id, self.log)


def protect(page, student_id, log):
    """Mode 600, and read for the student's account (when there is one)."""
    os.chmod(page, FEEDBACK_FILE_MODE)
    try:
        uid = pwd.getpwnam(student_id).pw_uid
    except KeyError:
        log.warning("No account named %s on this machine: only you can read its feedback.", student_id)
        return
    os.setxattr(page, ACL_ATTRIBUTE, owner_and_one_reader(uid))
