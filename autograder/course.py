"""Where the course lives on disk, and the nbgrader configuration every command shares."""
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from traitlets.config import Config

from helpers import STUDENT_MODULES

COURSE_ID = "nn-first-principles"
REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO_ROOT / "source"
RELEASE_DIR = REPO_ROOT / "release"
# What a student sees in place of a solution: a clear marker and a failing stub.
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
CELL_TIMEOUT_SECONDS = 120
# A grading kernel with NumPy and matplotlib loaded reserves about 1 GB of address space.
MEMORY_LIMIT_BYTES = 4 * 2**30
MAX_OUTPUT_CHARS = 1_000_000
MAX_OUTPUT_LINES = 1000
NOTEBOOK_TIMEOUT_SECONDS = 1800


def assignments(source_dir=SOURCE_DIR):
    """The assignment ids in source/, in course order (their names start with a number)."""
    return sorted(path.name for path in Path(source_dir).iterdir() if path.is_dir() and not path.name.startswith("."))


@dataclass(frozen=True)
class Limits:
    """What one student's notebook may use while it is graded."""

    cell_timeout: int = CELL_TIMEOUT_SECONDS       # seconds per cell, then the cell is interrupted and scores zero
    notebook_timeout: float = NOTEBOOK_TIMEOUT_SECONDS  # for one whole submission, then it scores 0 and is flagged
    memory_bytes: int = MEMORY_LIMIT_BYTES         # address space of each kernel process (0: no limit)
    max_output_chars: int = MAX_OUTPUT_CHARS       # per cell; the rest is dropped as it arrives
    max_output_lines: int = MAX_OUTPUT_LINES       # per cell, kept in the autograded notebook
    # The sandbox's limits (autograder/sandbox.py), per kernel:
    max_processes: int = 128                       # processes and threads at once (a fork flood stops here)
    max_file_bytes: int = 64 * 2**20               # the largest file it may write
    cpu_seconds: int = NOTEBOOK_TIMEOUT_SECONDS    # CPU time of the kernel process
    scratch_bytes: int = 256 * 2**20               # its only writable folder, /tmp, a tmpfs of this size
    sandboxed: bool = True                         # False only for trusted code (--no-sandbox)
    fast_kernels: bool = True                      # fork each sandbox's kernel from a template (as root; False:
                                                   # start Python afresh in each, --plain-kernels)


def nbgrader_templates_folder():
    """nbgrader's own page templates (its feedback page among them), which the course's extend."""
    import nbgrader

    return Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"


def nbgrader_config(root, db_url=None, source_dir=SOURCE_DIR, release_dir=None, limits=Limits(), trusted_tests=True):
    """nbgrader settings for a course rooted at root (source/ may live elsewhere).

    trusted_tests=False runs test cells in the student's kernel, as nbgrader does by default: only for
    comparing the two (tests/test_autograde_end_to_end.py), never for grading students."""
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.source_directory = str(source_dir)
    if release_dir is not None:
        config.CourseDirectory.release_directory = str(release_dir)
    config.CourseDirectory.db_url = db_url or f"sqlite:///{Path(root) / 'gradebook.db'}"
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    # nbgrader's Execute runs every cell of validate (JupyterLab's Validate button included) and autograde.
    config.ExecutePreprocessor.timeout = limits.cell_timeout
    config.Execute.timeout = limits.cell_timeout
    # Once the last cell has run the kernel has nothing left to save: a graceful exit only
    # costs a second of waiting per notebook.
    config.Execute.shutdown_kernel = "immediate"
    # Every grading kernel runs in a sandbox with the limits above (autograder/sandbox.py).
    config.ResilientExecute.kernel_manager_class = "autograder.sandbox.SandboxedKernelManager"
    # The limits travel whole, as one value: the sandbox reads its own from it (sandbox.rlimits).
    config.SandboxedKernelManager.limits = asdict(limits)
    config.SandboxedKernelManager.sandboxed = limits.sandboxed
    config.SandboxedKernelManager.fast_start = limits.fast_kernels
    # Test cells run in the trusted grader (autograder/trusted.py): the kernel gets no reference to call.
    config.ResilientExecute.trusted_tests = trusted_tests
    config.SandboxedKernelManager.helpers_modules = list(STUDENT_MODULES) if trusted_tests else None
    config.LimitOutput.max_lines = limits.max_output_lines
    # A test cell a student deleted is put back and run, rather than left ungraded.
    config.OverwriteCells.add_missing_cells = True
    # Imported here: nbgrader takes seconds to import, and only nbgrader's own runs need these.
    from autograder import preprocessors

    config.ResilientExecute.max_output_chars = limits.max_output_chars
    config.Autograde.sanitize_preprocessors = preprocessors.SANITIZE
    config.Autograde.autograde_preprocessors = preprocessors.AUTOGRADE
    config.CoalesceStreamsPreprocessor.enabled = True  # nbconvert's steps do nothing unless enabled
    # nbconvert validates the notebook against its schema after every preprocessor (thirteen per hand-in, about
    # 5 ms each); once, after the last, finds the same invalid notebooks.
    config.Exporter.optimistic_validation = True
    config.GenerateFeedback.preprocessors = preprocessors.FEEDBACK
    # The course's feedback page: nbgrader's, with a contents list that names each test (autograder/templates).
    config.HTMLExporter.template_name = "course_feedback"
    # Its maths as MathML, which needs no script from the internet (autograder/feedback_math.py).
    config.GenerateFeedback.exporter_class = "autograder.feedback_math.FeedbackExporter"
    config.HTMLExporter.template_file = "course_feedback.html.j2"
    config.HTMLExporter.extra_template_basedirs = [str(Path(preprocessors.__file__).parent / "templates"),
                                                   str(Path(nbgrader_templates_folder()))]
    return config


@dataclass(frozen=True)
class Course:
    """A course directory in nbgrader's layout: submitted/, autograded/, feedback/ and a gradebook."""

    root: Path
    db_url: str | None = None
    source_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    trusted_tests: bool = True  # False: test cells in the student's kernel, only to compare the two ways

    def __post_init__(self):
        root = Path(self.root).resolve()
        object.__setattr__(self, "root", root)
        if self.source_dir is None:
            object.__setattr__(self, "source_dir", root / "source" if (root / "source").is_dir() else SOURCE_DIR)
        object.__setattr__(self, "db_url", self.db_url or f"sqlite:///{root / 'gradebook.db'}")

    def config(self):
        return nbgrader_config(self.root, self.db_url, source_dir=self.source_dir, limits=self.limits,
                               trusted_tests=self.trusted_tests)

    def assignments(self):
        return assignments(self.source_dir)

    submitted = property(lambda self: self.root / "submitted")
    autograded = property(lambda self: self.root / "autograded")
    feedback = property(lambda self: self.root / "feedback")
    reports = property(lambda self: self.root / "reports")
    # The pipeline's own state: the grading journal, scratch folders and worker logs.
    state = property(lambda self: self.root / ".autograder")


def default_workers():
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
