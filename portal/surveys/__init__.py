"""Company surveys (Unternehmensbefragungen): questionnaires, answers, results and exports."""
