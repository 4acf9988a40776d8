"""Choosing a person in a form: a search field with server-side suggestions (issue 21 point 2).

`search` finds people of a pool (who may be picked in a field), `field.PersonField` is the form field
every form shares, `views` answers the suggestions (`GET /people/suggest`) that
`static/person-field.js` shows as a listbox."""
