<?php
/**
 * Plugin Name: SG slow page
 * Description: A fixture: 1.1.0 makes the sample page wait 600 ms on the server.
 * Version: 1.1.0
 */

add_action( 'template_redirect', function () { if ( is_page( 'sample-page' ) ) { usleep( 600000 ); } } );
