<?php
/**
 * Plugin Name: SG PHP warning
 * Description: A fixture: 1.1.0 reads a setting that is not there.
 * Version: 1.0.0
 */

add_action( 'wp_footer', function () { $settings = array( 'greeting' => '' ); echo esc_html( $settings['greeting'] ); } );
