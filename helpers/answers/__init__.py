"""What right and wrong answers look like, one module per assignment: the catalogue of mistakes each graded function
is compared with (each catalogue function takes the reference's arguments and returns {diagnosis: the outputs that
mistake gives}, helpers/answers/catalogue.py), and the expected answers to the assignment's questions (ANSWERS).

With helpers.reference this is what a student's edition must never hold: autograder/publish.py ships these modules'
answers only as data recorded for the visible tests' inputs, and autograder/leaks.py checks that it did.
"""
