<?php
/**
 * Plugin Name: SG harmless
 * Description: A fixture whose update changes nothing anyone can see.
 * Version: 1.1.0
 */

add_action( 'wp_head', function () { echo "<!-- sg-harmless 1.1.0 -->\n"; } );
