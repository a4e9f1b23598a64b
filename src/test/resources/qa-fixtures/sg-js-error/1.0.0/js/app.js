window.sgApp = { started: true };
