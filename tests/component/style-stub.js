// Stylesheets are irrelevant to what a test asserts; imports of .scss resolve to this.
module.exports = {}
