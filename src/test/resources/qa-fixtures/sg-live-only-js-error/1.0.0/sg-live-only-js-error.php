<?php
/**
 * Plugin Name: SG live-only JS error
 * Description: A fixture that passes QA on staging and breaks the page's script in production only (a live API key, a production CDN): the page still answers 200 without a PHP error; only a browser sees it.
 * Version: 1.0.0
 */

add_action( 'wp_footer', function () {
	if ( wp_get_environment_type() === 'production' ) {
		echo "<script>window.sgCheckout.start();</script>\n";
	}
} );
