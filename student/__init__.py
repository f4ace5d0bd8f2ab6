"""The student's side of the course: their own working copy (work_copy) and grading it (grade_me)."""
