window.sgApp = { started: false }; throw new Error('sg-js-error cannot start');
