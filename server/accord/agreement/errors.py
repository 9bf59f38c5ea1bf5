"""The one error type the engine raises for input a user can fix."""


class AgreementInputError(ValueError):
    """Input the engine cannot compute on: the message says what is wrong, for a person.

    Readers add the row number; the CLI prints the message on one line and exits with 2.
    """
