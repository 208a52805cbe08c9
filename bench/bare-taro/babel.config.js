// The product's babel config, unchanged.
module.exports = require('../../babel.config.js')
