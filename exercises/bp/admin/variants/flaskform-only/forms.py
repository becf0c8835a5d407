"""The panel's forms: each FlaskForm carries and checks its own CSRF token (hidden_tag())."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=30)])
    password = PasswordField("Password", validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that changes data: no fields but the CSRF token."""
